"""Salon box: domain rules, storage, services and the JSON API of the per-salon appliance."""
