"""What runs leave behind: files written atomically with their manifests, and figures."""
