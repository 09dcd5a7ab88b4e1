"""What only the admin knows: launches, stale content, renames and redirects."""
