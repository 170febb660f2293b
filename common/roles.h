/* roles.h - the roles a token can carry, as bits. */
#ifndef HG_ROLES_H
#define HG_ROLES_H

/* X(name, claim value) */
#define HG_ROLE_MAP(X)                          \
	X(TEACHER, "teacher")                   \
	X(COACH, "coach")                       \
	X(SCHOOL_LEADER, "school_leader")       \
	X(DISTRICT_ADMIN, "district_admin")     \
	X(SIS_INTEGRATION, "sis_integration")   \
	X(STATE_REPORTER, "state_reporter")

enum hg_role_index {
#define HG_ROLE_INDEX(name, claim) HG_ROLE_INDEX_##name,
	HG_ROLE_MAP(HG_ROLE_INDEX)
#undef HG_ROLE_INDEX
	HG_ROLE_COUNT
};

#define HG_ROLE(name) (1u << HG_ROLE_INDEX_##name)

/* Role bit for a claim value, or 0 for an unknown role. */
unsigned hg_role_from_claim(const char *claim);
/* Claim value of the role with bit index i (i < HG_ROLE_COUNT). */
const char *hg_role_claim(unsigned index);

#endif
