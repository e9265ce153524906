"""paperkg's own spaCy components, this checkout's against another checkout's, CPU per abstract.

    python bench/components.py --old /work/main/extract [--papers N] [--warm N] [--rounds N]
        [--components paperkg_abbreviations,paperkg_rules,paperkg_refine,paperkg_relations]

Both versions of a component run in one process, in turns (old first in even rounds, new first
in odd ones), over the same N real arXiv abstracts (`bench/extract_speed.py`'s seeded sample,
after the --warm papers before them in it), each Doc already through this checkout's whole
pipeline: a loaded machine slows both alike, which two processes timed one after the other do
not. The old version is the other checkout's source file of the component (and of
`extract/abbreviations.py` for `paperkg_abbreviations`), run with this checkout's other modules;
the components read their Doc's span groups and write their own, so each round redoes the same
work. Prints the medians of the rounds' CPU (`time.process_time`) in ms an abstract and a digest
of every Doc's span groups and relations after each version: equal digests, equal output.
`paperkg_sentences` is not timed (it leaves a Doc that has sentences as it is).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
import types
from pathlib import Path

if not __package__:  # run as a file: the checkout's root, for `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

COMPONENTS = "paperkg_abbreviations,paperkg_rules,paperkg_refine,paperkg_relations"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the other checkout's extract/ folder")
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--warm", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--components", default=COMPONENTS)
    args = parser.parse_args()

    from bench.extract_speed import arxiv_papers
    from paperkg.extract.pipeline import load_nlp, start_worker, text_of

    papers = arxiv_papers(args.warm + args.papers)
    if papers is None:
        sys.exit("no arXiv corpus: set PAPERKG_ARXIV")
    nlp = load_nlp()
    start_worker()
    texts = [text_of(p) for p in papers]
    list(nlp.pipe(texts[: args.warm], batch_size=64))
    docs = list(nlp.pipe(texts[args.warm :], batch_size=64))
    for name in args.components.split(","):
        new = nlp.get_pipe(name)
        versions = {"old": _old_component(Path(args.old), name, new), "new": new}
        spent: dict[str, list[float]] = {"old": [], "new": []}
        digests: dict[str, set[str]] = {"old": set(), "new": set()}
        for r in range(args.rounds):
            for label in ("old", "new") if r % 2 == 0 else ("new", "old"):
                start = time.process_time()
                for doc in docs:
                    versions[label](doc)
                spent[label].append(time.process_time() - start)
                digests[label].add(_digest(docs))
        old, now = (1000 * statistics.median(spent[k]) / len(docs) for k in ("old", "new"))
        print(
            f"{name:24s} old {old:6.3f}  new {now:6.3f} ms an abstract ({100 * (now - old) / old:+.1f}%)"
            f"  digests old {sorted(digests['old'])} new {sorted(digests['new'])}",
            flush=True,
        )


def _source_module(path: Path, name: str, renames: tuple[tuple[str, str], ...] = ()) -> types.ModuleType:
    """A checkout's module file run as module `name`, its spaCy registrations left out (the
    factories' names are this checkout's), its imports renamed as `renames` says."""
    lines = path.read_text(encoding="utf-8").splitlines()
    source = "\n".join(line for line in lines if not line.startswith("@Language."))
    for before, after in renames:
        source = source.replace(before, after)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


def _old_component(old: Path, name: str, new):
    """The other checkout's version of component `name`, with the state of this one's `new`."""
    if name == "paperkg_abbreviations":
        _source_module(old / "abbreviations.py", "old_abbreviations")
        renamed = (("from paperkg.extract.abbreviations import", "from old_abbreviations import"),)
        return _source_module(old / "components/abbreviations.py", "old_abbreviations_pipe", renamed).abbreviations
    if name == "paperkg_relations":
        scorer = _source_module(old / "relation_scorer.py", "old_relations").RelationScorer(
            None, name, new.max_pairs, new.threshold
        )
        scorer.initialize(features=list(new.features), classes=new.classes, weights=new.weights)
        return scorer
    refine = _source_module(old / "components/refine.py", "old_refine")
    if name == "paperkg_refine":
        return refine.TypeRefiner(new.use_rules, new.use_abbreviations)
    if name == "paperkg_rules":
        renamed = (("from paperkg.extract.components.refine import", "from old_refine import"),)
        cls = _source_module(old / "components/rules.py", "old_rules", renamed).ArtefactRules
        rules = cls.__new__(cls)
        rules.__dict__.update(new.__dict__)  # the vocabularies' names' matcher, compiled once
        rules._compile(new.entries)  # the gazetteer's state as the other checkout keeps it
        return rules
    raise SystemExit(f"no old version of {name} to time")


def _digest(docs) -> str:
    digest = hashlib.sha256()
    for doc in docs:
        for key in sorted(doc.spans):
            digest.update(repr([(s.start, s.end, s.label_, s.kb_id_, s.id_) for s in doc.spans[key]]).encode())
        digest.update(repr(doc.user_data.get("paperkg_relations")).encode())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    main()
