"""The built-in plugins: registered exactly like third-party ones, and replaceable by them."""
