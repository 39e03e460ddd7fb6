import TaktCore
print("takt")
