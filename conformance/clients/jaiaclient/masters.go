package jaiaclient

import (
	"net/http"
	"strings"
)

// Operation is one API of the manual's list (§2): its ID, method and path.
type Operation struct {
	APIID  string
	Method string
	Path   string
}

// The session and code APIs.
var (
	AuthLogin   = Operation{"AUTH_LOGIN", http.MethodPost, "/auth"}
	AuthLogout  = Operation{"AUTH_LOGOUT", http.MethodDelete, "/auth"}
	CodesSelect = Operation{"CODES_SELECT", http.MethodPost, "/codes"}
)

// Master is one of the eight masters and the seven (user: six) APIs it has.
type Master struct {
	Prefix string // API ID prefix, e.g. STORE
	Single string // path of create, update, delete, e.g. /store
	Plural string // path of search; /export/deleted and /import below it
	Key    string // the dataset key of update and delete, e.g. jaiaCode
	// CreateColumns and UpdateColumns are the import CSV's columns (see the package doc).
	CreateColumns []string
	UpdateColumns []string
	// HasExport is false for the user master, which has no export-deleted API.
	HasExport bool
}

func (m Master) op(action, method, path string) Operation {
	return Operation{APIID: m.Prefix + "_" + action, Method: method, Path: path}
}

// Create, Update, Delete, Select, ExportDeleted, ImportCreate and ImportUpdate are the
// master's APIs.
func (m Master) Create() Operation { return m.op("CREATE", http.MethodPost, m.Single) }
func (m Master) Update() Operation { return m.op("UPDATE", http.MethodPut, m.Single) }
func (m Master) Delete() Operation { return m.op("DELETE", http.MethodDelete, m.Single) }
func (m Master) Select() Operation { return m.op("SELECT", http.MethodPost, m.Plural) }
func (m Master) ExportDeleted() Operation {
	return m.op("EXPORT_DELETED", http.MethodPost, m.Plural+"/export/deleted")
}
func (m Master) ImportCreate() Operation {
	return m.op("IMPORT_CREATE", http.MethodPost, m.Plural+"/import")
}
func (m Master) ImportUpdate() Operation {
	return m.op("IMPORT_UPDATE", http.MethodPut, m.Plural+"/import")
}

func cols(s string) []string { return strings.Split(s, ",") }

// The eight masters (§2, §3). Column lists follow the create/update tables of the manual.
var (
	Company = Master{Prefix: "COMPANY", Single: "/company", Plural: "/companies", Key: "jaiaCompanyCode", HasExport: true,
		CreateColumns: cols("jaiaCompanyCode,companyCodeDigitClassification,usageStartDate,corporateMyNumber,companyName,companyNameKana,headquartersZipCode,headquartersAddress1,headquartersAddress2,representativePhoneNumber,jaiaMembershipClassification,companyCategory,annualSales,companyUnits,cooperationUsageClassification,url,remarks"),
		UpdateColumns: cols("jaiaCompanyCode,usageStartDate,corporateMyNumber,companyName,companyNameKana,headquartersZipCode,headquartersAddress1,headquartersAddress2,representativePhoneNumber,jaiaMembershipClassification,companyCategory,annualSales,companyUnits,cooperationUsageClassification,url,remarks")}
	User = Master{Prefix: "USER", Single: "/user", Plural: "/users", Key: "userId",
		CreateColumns: cols("jaiaCompanyCode,companyCategory,userClassification,userName,userNameKana,userDepartment,userTitle,userZipCode,userAddress1,userAddress2,userPhoneNumber,userMail"),
		UpdateColumns: cols("userId,jaiaCompanyCode,companyCategory,userClassification,userName,userNameKana,userDepartment,userTitle,userZipCode,userAddress1,userAddress2,userPhoneNumber,userMail")}
	Store = Master{Prefix: "STORE", Single: "/store", Plural: "/stores", Key: "jaiaCode", HasExport: true,
		CreateColumns: storeColumns, UpdateColumns: storeColumns}
	Item = Master{Prefix: "ITEM", Single: "/product/item", Plural: "/product/items", Key: "jaiaCode", HasExport: true,
		CreateColumns: itemColumns, UpdateColumns: itemColumns}
	Title = Master{Prefix: "TITLE", Single: "/product/title", Plural: "/product/titles", Key: "jaiaCode", HasExport: true,
		CreateColumns: titleColumns, UpdateColumns: titleColumns}
	Part = Master{Prefix: "PART", Single: "/product/part", Plural: "/product/parts", Key: "jaiaCode", HasExport: true,
		CreateColumns: partColumns, UpdateColumns: partColumns}
	Billing = Master{Prefix: "BILLING", Single: "/product/billing", Plural: "/product/billings", Key: "jaiaCode", HasExport: true,
		CreateColumns: billingColumns, UpdateColumns: billingColumns}
	Freebie = Master{Prefix: "FREEBIE", Single: "/freebie", Plural: "/freebies", Key: "jaiaCode", HasExport: true,
		CreateColumns: freebieColumns, UpdateColumns: freebieColumns}
)

var (
	storeColumns   = cols("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,informationRegistrationCategory,storeName,storeNameKana,storeZipCode,storeAddress1,storeAddress2,storePhoneNumber,storeFormat,storeCategory,operatingUnits,fueiLaw,url,remarks,publishSetting,publishCompanyCategory,publishCompanyCode")
	itemColumns    = cols("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,itemCode,itemName,itemNameKana,itemNameAbbreviation,brandName,salesForm,gameGenre,jaiaElectronicMoneyStandard,scheduledReleaseMonth,supportNetwork,supportNetworkNote,maintenanceWindow,itemInfoUrl,itemPictureUrl,cadDrawingUrl,manualUrl,copyright,coinSlot,coinType,banknoteType,coinMeter,cashBox,booth,prizePayout,station,terminal,medalInput,medalOutput,originCode,forSaleCountryCode,publishSetting,publishCompanyCategory,publishCompanyCode")
	titleColumns   = cols("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,titleName,titleKana,titleAbbreviation,brandName,releaseCategory,gameGenre,scheduledReleaseMonth,maintenanceWindow,itemInfoUrl,itemPictureUrl,manualUrl,copyright,publishSetting,publishCompanyCategory,publishCompanyCode")
	partColumns    = cols("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,partCode,partName,partNameKana,partType,publishSetting,publishCompanyCategory,publishCompanyCode")
	billingColumns = cols("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,billingName,billingNameKana,billingAbbreviation,billingCategory,compatibleModels,brandName,publishSetting,publishCompanyCategory,publishCompanyCode")
	freebieColumns = cols("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,janCode,freebieCode,freebieName,freebieNameKana,freebieAbbreviation,brandCode,transactionUnit,internalCapacity,internalCapacityUnitCode,numberOfType,consumerClassification,jaiaProductCategory,productType,onlineCraneGameLicense,salesForm,scheduledReleaseMonth,scheduledReleaseWeek,units,catalogNotationSize,catalogSizeUnitCode,qualityRetentionPeriod,width,height,depth,sizeUnitCode,grossWeight,grossWeightUnitCode,openPriceFlag,openPrice,reductionStandardJudgmentClassification,salesTaxClassification,salesTaxRate,itemInfoUrl,itemPictureUrl,copyright,originCode,forSaleCountryCode,inclusiveJaiaCode,remarks,publishSetting,publishCompanyCategory,publishCompanyCode")
)

// Record is one dataset: camelCase keys (e.g. jaiaCode) and their values as the API takes
// them (dates YYYYMMDD). An absent key and "" both mean "not set".
type Record map[string]string
