"""The hall: catalogue, taxonomy, search, scenarios and service points."""
