"""Analyses of kernels on hardware: the roofline bound."""
