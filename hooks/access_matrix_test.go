package hooks_test

// expectedAccess is the role matrix of DESIGN.md as one table: for every
// collection, what each caller of the seeded community (internal/testapp)
// may read, create, update and delete. access_scenarios_test.go turns it
// into tests.ApiScenario tables; nothing else states the expectations.
//
// A block starts with the collection name and the prefix of its record
// keys; each row is a role. Cells:
//
//	"-"        nothing
//	"*"        every seeded record of the collection, the migrations' included
//	"+"        create: allowed
//	"self"     the caller's own users record
//	"a b c"    these records (keys without the prefix: "h1" is case.h1)
//
// read is checked on list (the exact set of ids, and totalItems) and on
// view of each record. update and delete are checked on one record inside
// the set (it must change / go) and one outside (it must not). For
// superusers "-" means refused even to them: the timelines are
// append-only, and a case or alarm that has a timeline cannot be deleted.
//
// The people of the seeded community (users, prefix user.):
//
//	resident housemate unverified  household h1, grid g1 (unverified: not yet confirmed by staff)
//	other mixed                    households h2 and spare, grid g2 (mixed: volunteer and resident)
//	volunteer                      paired with elder e1 (household h3, grid g1); inactive pairing with e2 (h2)
//	grid1 grid2                    grid workers of g1 and g2
//	mediator police property       mediation, police, property management (dept_staff)
//	staff secretary                the workstation
//
// colleagues (the workforce sees each other, never residents):
// volunteer grid1 grid2 mediator police property staff secretary.
const expectedAccess = `
users (user.)     | read                                                                            | create | update | delete
  guest           | -                                                                               | +      | -      | -
  resident        | resident                                                                        | -      | self   | -
  other_resident  | other                                                                           | -      | self   | -
  unverified      | unverified                                                                      | -      | self   | -
  volunteer       | volunteer                                                                       | -      | self   | -
  grid_worker     | volunteer grid1 grid2 mediator police property staff secretary resident housemate unverified | - | self | -
  other_grid_worker | volunteer grid1 grid2 mediator police property staff secretary other mixed    | -      | self   | -
  mediator        | volunteer grid1 grid2 mediator police property staff secretary                  | -      | self   | -
  dept_staff      | volunteer grid1 grid2 mediator police property staff secretary                  | -      | self   | -
  other_dept_staff | volunteer grid1 grid2 mediator police property staff secretary                 | -      | self   | -
  staff           | *                                                                               | +      | *      | -
  secretary       | *                                                                               | +      | *      | -
  superuser       | *                                                                               | +      | *      | *

grids (grid.)     | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | *    | -      | -      | -
  other_resident  | *    | -      | -      | -
  unverified      | *    | -      | -      | -
  volunteer       | *    | -      | -      | -
  grid_worker     | *    | -      | -      | -
  other_grid_worker | *  | -      | -      | -
  mediator        | *    | -      | -      | -
  dept_staff      | *    | -      | -      | -
  other_dept_staff | *   | -      | -      | -
  staff           | *    | +      | *      | -
  secretary       | *    | +      | *      | -
  superuser       | *    | +      | *      | *

buildings (building.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | *    | -      | -      | -
  other_resident  | *    | -      | -      | -
  unverified      | *    | -      | -      | -
  volunteer       | *    | -      | -      | -
  grid_worker     | *    | -      | -      | -
  other_grid_worker | *  | -      | -      | -
  mediator        | *    | -      | -      | -
  dept_staff      | *    | -      | -      | -
  other_dept_staff | *   | -      | -      | -
  staff           | *    | +      | *      | -
  secretary       | *    | +      | *      | -
  superuser       | *    | +      | *      | *

departments (dept.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | *    | -      | -      | -
  other_resident  | *    | -      | -      | -
  unverified      | *    | -      | -      | -
  volunteer       | *    | -      | -      | -
  grid_worker     | *    | -      | -      | -
  other_grid_worker | *  | -      | -      | -
  mediator        | *    | -      | -      | -
  dept_staff      | *    | -      | -      | -
  other_dept_staff | *   | -      | -      | -
  staff           | *    | -      | *      | -
  secretary       | *    | -      | *      | -
  superuser       | *    | +      | *      | *

households (household.) | read | create | update | delete
  guest           | -       | -      | -      | -
  resident        | h1      | -      | -      | -
  other_resident  | h2      | -      | -      | -
  unverified      | -       | -      | -      | -
  volunteer       | h3      | -      | -      | -
  grid_worker     | h1 h3   | -      | -      | -
  other_grid_worker | h2 spare | -   | -      | -
  mediator        | -       | -      | -      | -
  dept_staff      | -       | -      | -      | -
  other_dept_staff | -      | -      | -      | -
  staff           | *       | +      | *      | -
  secretary       | *       | +      | *      | -
  superuser       | *       | +      | *      | *

# The service catalogue is public: the report form and Open311 list it.
categories (category.) | read | create | update | delete
  guest           | *    | -      | -      | -
  resident        | *    | -      | -      | -
  other_resident  | *    | -      | -      | -
  unverified      | *    | -      | -      | -
  volunteer       | *    | -      | -      | -
  grid_worker     | *    | -      | -      | -
  other_grid_worker | *  | -      | -      | -
  mediator        | *    | -      | -      | -
  dept_staff      | *    | -      | -      | -
  other_dept_staff | *   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

# Cases: the reporter, their verified household, the grid, the departments
# it was dispatched to (lead or assisting), its mediator; staff all. Any
# member may report; only the workstation edits; nobody deletes.
cases (case.)     | read                       | create | update | delete
  guest           | -                          | -      | -      | -
  resident        | h1 mate unverified         | +      | -      | -
  other_resident  | h2                         | +      | -      | -
  unverified      | unverified                 | +      | -      | -
  volunteer       | -                          | +      | -      | -
  grid_worker     | h1 mate unverified patrol  | +      | -      | -
  other_grid_worker | h2 hotline               | +      | -      | -
  mediator        | h2                         | +      | -      | -
  dept_staff      | h2 hotline                 | +      | -      | -
  other_dept_staff | hotline                   | +      | -      | -
  staff           | *                          | +      | *      | -
  secretary       | *                          | +      | *      | -
  superuser       | *                          | +      | *      | -

# The timeline: visible with its case, written only by the workflow (and
# superusers), never changed or deleted by anyone.
case_events (event.) | read                    | create | update | delete
  guest           | -                          | -      | -      | -
  resident        | h1 mate unverified         | -      | -      | -
  other_resident  | h2                         | -      | -      | -
  unverified      | unverified                 | -      | -      | -
  volunteer       | -                          | -      | -      | -
  grid_worker     | h1 mate unverified patrol  | -      | -      | -
  other_grid_worker | h2 hotline               | -      | -      | -
  mediator        | h2                         | -      | -      | -
  dept_staff      | h2 hotline                 | -      | -      | -
  other_dept_staff | hotline                   | -      | -      | -
  staff           | *                          | -      | -      | -
  secretary       | *                          | -      | -      | -
  superuser       | *                          | +      | -      | -

elders (elder.)   | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | e2   | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | e1   | -      | -      | -
  grid_worker     | e1   | -      | -      | -
  other_grid_worker | e2 | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | +      | *      | -
  secretary       | *    | +      | *      | -
  superuser       | *    | +      | *      | *

pairings (pairing.) | read            | create | update | delete
  guest           | -                 | -      | -      | -
  resident        | -                 | -      | -      | -
  other_resident  | -                 | -      | -      | -
  unverified      | -                 | -      | -      | -
  volunteer       | active inactive   | -      | -      | -
  grid_worker     | active            | -      | -      | -
  other_grid_worker | inactive        | -      | -      | -
  mediator        | -                 | -      | -      | -
  dept_staff      | -                 | -      | -      | -
  other_dept_staff | -                | -      | -      | -
  staff           | *                 | +      | *      | *
  secretary       | *                 | +      | *      | *
  superuser       | *                 | +      | *      | *

# A volunteer logs visits to the elders they are actively paired with.
visits (visit.)   | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | e1   | +      | e1     | -
  grid_worker     | e1   | -      | -      | -
  other_grid_worker | -  | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | +      | *      | -
  secretary       | *    | +      | *      | -
  superuser       | *    | +      | *      | *

devices (device.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | h2   | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | e1   | -      | -      | -
  grid_worker     | e1   | -      | -      | -
  other_grid_worker | h2 | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

readings (reading.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | -    | -      | -      | -
  grid_worker     | -    | -      | -      | -
  other_grid_worker | -  | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

rules (rule.)     | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | -    | -      | -      | -
  grid_worker     | -    | -      | -      | -
  other_grid_worker | -  | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

escalation_policies (policy.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | -    | -      | -      | -
  grid_worker     | -    | -      | -      | -
  other_grid_worker | -  | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

channels (channel.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | -    | -      | -      | -
  grid_worker     | -    | -      | -      | -
  other_grid_worker | -  | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

# Alarm state changes go through the alarm endpoints, never a PATCH.
alarms (alarm.)   | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | h2   | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | e1   | -      | -      | -
  grid_worker     | e1   | -      | -      | -
  other_grid_worker | h2 | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | -

alarm_events (aevent.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | h2   | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | e1   | -      | -      | -
  grid_worker     | e1   | -      | -      | -
  other_grid_worker | h2 | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | -      | -

deliveries (delivery.) | read | create | update | delete
  guest           | -     | -      | -      | -
  resident        | -     | -      | -      | -
  other_resident  | -     | -      | -      | -
  unverified      | -     | -      | -      | -
  volunteer       | -     | -      | -      | -
  grid_worker     | grid1 | -      | -      | -
  other_grid_worker | -   | -      | -      | -
  mediator        | -     | -      | -      | -
  dept_staff      | -     | -      | -      | -
  other_dept_staff | -    | -      | -      | -
  staff           | *     | -      | -      | -
  secretary       | *     | -      | -      | -
  superuser       | *     | +      | *      | *

notices (notice.) | read      | create | update | delete
  guest           | published | -      | -      | -
  resident        | published | -      | -      | -
  other_resident  | published | -      | -      | -
  unverified      | published | -      | -      | -
  volunteer       | published | -      | -      | -
  grid_worker     | published | -      | -      | -
  other_grid_worker | published | -    | -      | -
  mediator        | published | -      | -      | -
  dept_staff      | published | -      | -      | -
  other_dept_staff | published | -     | -      | -
  staff           | *         | +      | *      | *
  secretary       | *         | +      | *      | *
  superuser       | *         | +      | *      | *

parking_spaces (parking.) | read | create | update | delete
  guest           | public | -      | -      | -
  resident        | public | -      | -      | -
  other_resident  | public | -      | -      | -
  unverified      | public | -      | -      | -
  volunteer       | public | -      | -      | -
  grid_worker     | public | -      | -      | -
  other_grid_worker | public | -    | -      | -
  mediator        | public | -      | -      | -
  dept_staff      | public | -      | -      | -
  other_dept_staff | public | -     | -      | -
  staff           | *      | -      | *      | -
  secretary       | *      | -      | *      | -
  superuser       | *      | +      | *      | *

# The 15-minute living circle is public.
places (place.)   | read | create | update | delete
  guest           | *    | -      | -      | -
  resident        | *    | -      | -      | -
  other_resident  | *    | -      | -      | -
  unverified      | *    | -      | -      | -
  volunteer       | *    | -      | -      | -
  grid_worker     | *    | -      | -      | -
  other_grid_worker | *  | -      | -      | -
  mediator        | *    | -      | -      | -
  dept_staff      | *    | -      | -      | -
  other_dept_staff | *   | -      | -      | -
  staff           | *    | +      | *      | *
  secretary       | *    | +      | *      | *
  superuser       | *    | +      | *      | *

data_sources (source.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | -    | -      | -      | -
  grid_worker     | -    | -      | -      | -
  other_grid_worker | -  | -      | -      | -
  mediator        | -    | -      | -      | -
  dept_staff      | -    | -      | -      | -
  other_dept_staff | -   | -      | -      | -
  staff           | *    | -      | -      | -
  secretary       | *    | -      | -      | -
  superuser       | *    | +      | *      | *

duty_roster (duty.) | read | create | update | delete
  guest           | -    | -      | -      | -
  resident        | -    | -      | -      | -
  other_resident  | -    | -      | -      | -
  unverified      | -    | -      | -      | -
  volunteer       | -    | -      | -      | -
  grid_worker     | *    | -      | -      | -
  other_grid_worker | *  | -      | -      | -
  mediator        | *    | -      | -      | -
  dept_staff      | *    | -      | -      | -
  other_dept_staff | *   | -      | -      | -
  staff           | *    | +      | *      | *
  secretary       | *    | +      | *      | *
  superuser       | *    | +      | *      | *
`
