"""The benchmark behind chapter 7: `schedules` (how models train), `protocol` (what is trained,
tuned and scored) and `report` (reading and showing the results). Run it with
`python -m dae_utils.cli.benchmark`."""
