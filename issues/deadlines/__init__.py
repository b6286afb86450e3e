"""Deadlines (DESIGN §5): the working-day policy, the traffic lights, the reminder ladder and its
sweep.

The rest of the board reads the policy and the lights; the sweep is the ladder's driver and calls
the board's actions (an automatic urge), so nothing the actions import may live here: the
actions read the sign-within policy from ``DeadlinePolicy.objects`` instead.
"""
