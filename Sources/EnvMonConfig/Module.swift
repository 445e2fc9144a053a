// Module EnvMonConfig: see DESIGN.md.
