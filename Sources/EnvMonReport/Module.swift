// Module EnvMonReport: see DESIGN.md.
