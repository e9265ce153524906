"""Names the extraction pipeline's parts agree on: how a paper becomes one text, and the span
groups its components write. A leaf: the components, the pipeline and training all read it."""

FIELD_BREAK = "\n\n"  # between title and abstract in the one Doc made per paper

RULES_KEY = "paperkg_rules"
ABBR_SHORT_KEY = "paperkg_abbr_short"  # short forms: definitions and later uses; label = short form
ABBR_LONG_KEY = "paperkg_abbr_long"  # long forms; label = short form
ENTITIES_KEY = "paperkg"  # typed entity spans, SciERC's span conventions; label = graph type, id = source
MENTIONS_KEY = "paperkg_mentions"  # the same, acronym definitions split into long and short form
BALLOTS_KEY = "paperkg_ballots"  # every recogniser member's entities, until the vote
# the relation scorer's kept pairs, (subject start, end, object start, end, relation, score) in
# characters, and how many sentences had more pairs than it scores
RELATIONS_KEY = "paperkg_relations"
RELATIONS_CAPPED_KEY = "paperkg_relations_capped"
