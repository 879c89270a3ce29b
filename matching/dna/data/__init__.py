"""Allele-frequency tables that the kinship likelihoods read as data (see README.md here)."""
