"""The open room: participants vote from their own devices through a small local HTTP server."""
