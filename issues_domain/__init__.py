"""The helpdesk's domain: issues and every rule about them. Plain Python; no framework."""
