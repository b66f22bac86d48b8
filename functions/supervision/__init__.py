"""The supervision room: consultations (企业找政府 now; 我要问, 投诉, cards and indicators next)."""
