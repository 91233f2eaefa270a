"""The "Kernel & user space" tab: the animated picture, the story panel, live evidence."""
