"""Pages: the generator that writes the data-driven pages, their downloads and feeds, comparison summaries and the templates' helpers."""
