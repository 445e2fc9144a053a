import EnvMonCLI

/// `envmon`: the staff CLI. Commands live in EnvMonCLI so tests can parse and run them.
EnvMonCommand.main()
