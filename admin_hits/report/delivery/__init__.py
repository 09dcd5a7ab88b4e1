"""The Speed tab: response times (merged DDSketch bins) and bytes sent."""
