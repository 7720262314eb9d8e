"""The simulated Intacct company and its HTTP server. Depends on nothing else in wizard/."""
