// Module EnvMonDaemon: see DESIGN.md.
