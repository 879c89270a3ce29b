"""Deterministic synthetic registry: missing-person reports, unidentified remains, ground truth.

    from seed.config import SeedConfig
    from seed.generator import generate_reports, generate_remains, generate_truth
    from seed.files import write_dataset

The same `SeedConfig` always gives the same rows, byte for byte. See docs/seed.md.
"""
