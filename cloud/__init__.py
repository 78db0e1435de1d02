"""Head-office cloud service on PostgreSQL: built in the sync/cloud issue."""
