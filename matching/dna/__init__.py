"""DNA identification by kinship: STR profiles, pedigree likelihood ratios and DVI decisions.

Pure code (standard library and numpy): the registry hands it normalised profiles and
references and stores what it returns. See docs/dna.md for the model and its sources.

- `markers`: marker names, allele designations, profiles as laboratories write them.
- `frequencies`: the shipped allele-frequency tables (several populations, one by name).
- `likelihood`: founder genotype probabilities (NRC II 4.4a), direct match (NRC II 4.10),
  mutation models, the per-locus allele system.
- `pedigree`: one likelihood per missing person with all of that person's references.
- `index`: every family's LR for every remains genotype, so one profile is scored against
  100,000 families at once.
- `decisions`: exclusion, dvir's undisputed rule, indistinguishable siblings, thresholds, posterior.
- `explain`: what a result rests on, in words a reviewer reads.
- `simulate`: founders from a table, Mendelian inheritance with mutation, degradation.
"""
