// Module EnvMonStore: see DESIGN.md.
