"""The citations counter (F4): screens, jobs, scans and its bench job."""
