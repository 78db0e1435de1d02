"""Real servers the tests start for themselves: PostgreSQL, Mosquitto, and throwaway TLS certificates."""
