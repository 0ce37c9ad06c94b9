"""Fangxian (防线): a command system for township epidemic prevention and control."""
