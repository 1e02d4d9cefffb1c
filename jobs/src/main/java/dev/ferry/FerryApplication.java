package dev.ferry;

public class FerryApplication {

	public static void main(String[] args) {
	}

}
