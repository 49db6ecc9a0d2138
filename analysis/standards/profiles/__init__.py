"""The standard profiles shipped with sitewatch (package data, read by name: `national`)."""
