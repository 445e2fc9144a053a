print("envmond")
