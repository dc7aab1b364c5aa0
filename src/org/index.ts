// Public entry of the organization feature: units, people, categories and company settings (Administración).
export { adminNavSection, adminRoutes } from './admin/routes.js';
export { listCatalogue, saveCategory } from './categories/service.js';
export { deactivatePerson, invitePerson, listPeople, reactivatePerson, updatePerson } from './people/service.js';
export { createUnit, listUnits, updateUnit } from './units/service.js';
export { fieldsByCategory } from './categories/field-service.js';
export {
  fieldInputName,
  fieldsText,
  parseFieldValues,
  storedFieldValues,
  type FieldDefinition,
  type FieldValue,
} from './categories/fields.js';
