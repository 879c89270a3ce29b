"""Reference data for the synthetic registry: names, places, bodies, marks and their frequencies.

Every table is plain data with weights; docs/seed.md says where each frequency comes from and how
rough it is. Nothing here draws random numbers.
"""
