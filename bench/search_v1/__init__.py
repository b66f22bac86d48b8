"""The searcher as it was before issue 13 (one document per matter, postings as JSON lists),
kept verbatim as the baseline bench/search.py measures against in the same run."""
