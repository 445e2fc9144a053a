print("envmon")
