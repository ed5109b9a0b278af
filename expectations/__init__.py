"""One Great Expectations suite per table: each module states the table's grain and key and builds its expectations."""
