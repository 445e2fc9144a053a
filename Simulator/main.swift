print("envmon-sim")
