"""Tables that matching reads as data: hypocorisms, abbreviations and the vocabulary of marks."""
