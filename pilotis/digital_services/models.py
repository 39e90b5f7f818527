"""The register of the digital services a school runs (ENT, Pix, its site, platforms…), with who administers each."""
