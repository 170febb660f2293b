/* roles.h - the roles a token can carry, as bits. */
#ifndef HG_ROLES_H
#define HG_ROLES_H

/* X(name, claim value) */
#define HG_ROLE_MAP(X)                        \
	X(TEACHER, "teacher")                 \
	X(COACH, "coach")                     \
	X(SCHOOL_LEADER, "school_leader")     \
	X(DISTRICT_ADMIN, "district_admin")   \
	X(SIS_INTEGRATION, "sis_integration") \
	X(STATE_REPORTER, "state_reporter")   \
	X(TEACHER_LEADER, "teacher_leader")

/* an enum made by an X-macro */
/* clang-format off */
enum hg_role_index {
#define HG_ROLE_INDEX(name, claim) HG_ROLE_INDEX_##name,
	HG_ROLE_MAP(HG_ROLE_INDEX)
#undef HG_ROLE_INDEX
	HG_ROLE_COUNT
};
/* clang-format on */

#define HG_ROLE(name) (1u << HG_ROLE_INDEX_##name)

/* Role groups the route tables use. */
/* Staff who read what their district publishes. */
#define HG_ROLES_STAFF (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(SCHOOL_LEADER) | HG_ROLE(DISTRICT_ADMIN))
/* Staff who author shared material (the library). */
#define HG_ROLES_AUTHORS (HG_ROLE(TEACHER) | HG_ROLE(COACH) | HG_ROLE(DISTRICT_ADMIN))
/* The district's PD office. */
#define HG_ROLES_ADMINS HG_ROLE(DISTRICT_ADMIN)
/* Who proposes teacher-led PD to the PD office (the district assigns teacher_leader in the roster). */
#define HG_ROLES_PROPOSERS (HG_ROLE(TEACHER_LEADER) | HG_ROLE(SCHOOL_LEADER))
/* Who feeds the roster from the SIS. */
#define HG_ROLES_IMPORTERS (HG_ROLE(SIS_INTEGRATION) | HG_ROLE(DISTRICT_ADMIN))

/* Role bit for a claim value, or 0 for an unknown role. */
unsigned hg_role_from_claim(const char *claim);
/* Claim value of the role with bit index i (i < HG_ROLE_COUNT). */
const char *hg_role_claim(unsigned index);

#endif
