// Module MQTT: see DESIGN.md.
