"""Build tools for a bilingual news site on Pelican."""
