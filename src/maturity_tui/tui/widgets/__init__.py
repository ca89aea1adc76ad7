"""Small widgets that take data down from their screen and draw it."""
