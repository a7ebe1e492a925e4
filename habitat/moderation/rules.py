import rules

from habitat.accounts.rules import is_territory_moderator, moderates_somewhere

rules.add_perm("moderation.view_queue", moderates_somewhere)
rules.add_perm("moderation.decide", is_territory_moderator)
