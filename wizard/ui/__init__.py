"""The Qt user interface: the wizard, its pages, widgets and background workers."""
