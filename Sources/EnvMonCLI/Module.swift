// Module EnvMonCLI: see DESIGN.md.
