"""Text -> mentions: corpus readers, the spaCy pipeline, abbreviations, training and evaluation."""
