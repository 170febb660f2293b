/* catalog.c - what every catalog noun shares. */
#include "services/resources/catalog/catalog.h"

#include <strings.h>

#include "common/roles.h"

int catalog_is_admin(const struct hg_principal *who) { return (who->roles & HG_ROLE(DISTRICT_ADMIN)) != 0; }

int catalog_same_id(const char *a, const char *b) { return a != NULL && b != NULL && strcasecmp(a, b) == 0; }
