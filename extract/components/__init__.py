"""paperkg's spaCy components, one module per component, as spaCy keeps its own pipes:

- `sentences`: `paperkg_sentences`, sentence boundaries that know abstracts (`e.g.`, `$...$`, the
  title/abstract break);
- `voting`: `paperkg_ballot` and `paperkg_vote`, the recogniser ensemble's majority vote;
- `abbreviations`: `paperkg_abbreviations`, acronym definitions and uses as span groups;
- `rules`: `paperkg_rules`, gazetteers and token-pattern rules for named artefacts;
- `refine`: `paperkg_refine`, recogniser, rule and abbreviation spans merged into graph mentions.

spaCy finds them by the `spacy_factories` entry points in pyproject.toml (with the recogniser,
its encoder and the tokenizer under `spacy_factories`, `spacy_architectures` and
`spacy_tokenizers`), so a pipeline that names them loads without importing anything first.
"""
