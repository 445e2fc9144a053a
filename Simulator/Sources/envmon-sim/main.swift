import EnvMonSimulation

// `envmon-sim`: the Cát Hải network in software. Everything lives in EnvMonSimulation.
EnvMonSimCommand.main()
